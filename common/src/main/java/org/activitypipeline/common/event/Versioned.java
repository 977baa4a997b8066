package org.activitypipeline.common.event;

/**
 * Every value the pipeline writes carries the version of its JSON schema ({@code schema_version}),
 * so readers can reject or adapt records written by a newer or older producer. The schemas are
 * documented in {@code docs/SCHEMAS.md}.
 */
public interface Versioned {
  int schemaVersion();
}
