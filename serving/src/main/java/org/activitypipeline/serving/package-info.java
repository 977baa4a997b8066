/**
 * Serving layer: HTTP API and dashboard merging batch and real-time views.
 *
 * <p>Not built yet: see the project's issues. The module exists so the layout of DESIGN §2 and
 * the build are in place from the start.
 */
package org.activitypipeline.serving;
