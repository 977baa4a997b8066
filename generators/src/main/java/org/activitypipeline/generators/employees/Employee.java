package org.activitypipeline.generators.employees;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * An {@code employees} row as the generator knows it ({@code id} 0 before it is inserted).
 * {@code departmentId} and {@code managerId} may be null, as in the schema.
 */
record Employee(long id, String firstName, String lastName, String email, Long departmentId, String jobTitle,
                String location, Long managerId, LocalDate hireDate, BigDecimal salary, Status status) {

  Employee withId(long newId) {
    return new Employee(newId, firstName, lastName, email, departmentId, jobTitle, location, managerId, hireDate,
        salary, status);
  }

  Employee withSalary(BigDecimal newSalary) {
    return new Employee(id, firstName, lastName, email, departmentId, jobTitle, location, managerId, hireDate,
        newSalary, status);
  }

  Employee withTitleAndSalary(String newTitle, BigDecimal newSalary) {
    return new Employee(id, firstName, lastName, email, departmentId, newTitle, location, managerId, hireDate,
        newSalary, status);
  }

  Employee withDepartment(Long newDepartmentId, Long newManagerId) {
    return new Employee(id, firstName, lastName, email, newDepartmentId, jobTitle, location, newManagerId, hireDate,
        salary, status);
  }

  Employee withStatus(Status newStatus) {
    return new Employee(id, firstName, lastName, email, departmentId, jobTitle, location, managerId, hireDate,
        salary, newStatus);
  }

  boolean terminated() {
    return status == Status.TERMINATED;
  }
}
