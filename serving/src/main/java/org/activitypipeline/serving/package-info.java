/**
 * The serving layer: an HTTP API and dashboard that answer each window from the Hudi batch view
 * when it ends before the batch horizon, else from the speed layer's aggregation topics.
 * Entry point: {@link org.activitypipeline.serving.api.Serving}; command line: {@link org.activitypipeline.serving.ServingMain}.
 */
package org.activitypipeline.serving;
