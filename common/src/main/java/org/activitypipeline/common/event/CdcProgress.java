package org.activitypipeline.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;

/**
 * How far the CDC stream has come: every PostgreSQL transaction that committed before
 * {@code commitMillis} (in WAL order before the heartbeat transaction that produced this record)
 * precedes this record in its partition. cdc writes one to every partition of every captured table's
 * topic each time it sees its own heartbeat row change; the processor forwards them, once the changes
 * before them are applied, to its directory, which then knows it holds every employee and department
 * version committed before that time.
 *
 * <p>On a cdc topic it is marked by the header {@link #HEADER} (so consumers never mistake it for a
 * change event) and keyed {@link #KEY}.
 *
 * @param commitMillis PostgreSQL commit time of the heartbeat transaction ({@code source.ts_ms})
 * @param lsn          its LSN
 */
public record CdcProgress(long commitMillis, long lsn) implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  /** Header present (value "1") on progress records of the cdc topics. */
  public static final String HEADER = "cdc.progress";
  public static final String KEY = "~cdc-progress";

  private static final JsonCodec<CdcProgress> CODEC = JsonCodec.of(CdcProgress.class, SCHEMA_VERSION);

  @Override
  @JsonProperty("schema_version")
  public int schemaVersion() {
    return SCHEMA_VERSION;
  }

  /** {@code schema_version, commit_millis, lsn}. */
  public byte[] toJson() {
    return CODEC.encode(this);
  }

  /**
   * Every event committed at or before this time is known: one millisecond before the heartbeat's
   * commit, since another transaction may commit in the same millisecond after it in the WAL.
   */
  public long completeThroughMillis() {
    return commitMillis - 1;
  }

  /** @throws InvalidRecordException when the bytes are not a progress record */
  public static CdcProgress fromJson(byte[] json) {
    if (json == null || json.length == 0) {
      throw new InvalidRecordException("empty cdc progress record");
    }
    return CODEC.decode(json);
  }
}
