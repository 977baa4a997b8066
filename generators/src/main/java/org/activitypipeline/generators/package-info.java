/**
 * Load generators for the PostgreSQL and Cassandra sources.
 *
 * <p>Not built yet: see the project's issues. The module exists so the layout of DESIGN §2 and
 * the build are in place from the start.
 */
package org.activitypipeline.generators;
