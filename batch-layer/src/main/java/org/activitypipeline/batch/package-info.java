/**
 * Batch layer: Quartz-scheduled Hudi ingest, batch views, clustering and Hive Metastore sync.
 *
 * <p>Not built yet: see the project's issues. The module exists so the layout of DESIGN §2 and
 * the build are in place from the start.
 */
package org.activitypipeline.batch;
