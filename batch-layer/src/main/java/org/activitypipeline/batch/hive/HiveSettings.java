package org.activitypipeline.batch.hive;

/**
 * @param metastoreUris Thrift URIs of the Hive Metastore ({@code thrift://host:9083[,...]})
 * @param database database the tables and views are registered in (created when missing)
 */
public record HiveSettings(String metastoreUris, String database) {}
