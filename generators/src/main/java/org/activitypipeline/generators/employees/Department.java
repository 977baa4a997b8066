package org.activitypipeline.generators.employees;

/** A {@code departments} row ({@code id} 0 before it is inserted). */
record Department(long id, String name, String costCenter, String location) {
  Department withId(long newId) {
    return new Department(newId, name, costCenter, location);
  }
}
