package org.activitypipeline.generators.employees;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.activitypipeline.generators.run.GeneratorException;
import org.activitypipeline.generators.run.Postgres;

/**
 * JDBC access to {@code departments} and {@code employees}: one connection, prepared statements,
 * each change its own (auto-committed) statement. Not thread-safe.
 */
final class EmployeeStore implements AutoCloseable {
  private static final String COLUMNS = "employee_id, first_name, last_name, email, department_id, job_title,"
      + " location, manager_id, hire_date, salary, status";
  private static final String INSERT = "INSERT INTO employees (first_name, last_name, email, department_id,"
      + " job_title, location, manager_id, hire_date, salary, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final String jdbcUrl;
  private final Connection connection;
  private PreparedStatement insertReturning;
  private PreparedStatement insertBatch;
  private PreparedStatement raise;
  private PreparedStatement promote;
  private PreparedStatement move;
  private PreparedStatement status;
  private PreparedStatement delete;

  private EmployeeStore(String jdbcUrl, Connection connection) {
    this.jdbcUrl = jdbcUrl;
    this.connection = connection;
  }

  /**
   * Connects and checks the schema.
   *
   * @throws GeneratorException "cannot connect to PostgreSQL at URL: ..." or "table employees does not
   *     exist in URL: apply init-scripts/postgres"
   */
  static EmployeeStore open(String jdbcUrl, String user, String password) {
    Connection c = Postgres.connect(jdbcUrl, user, password);
    try {
      Postgres.requireTables(c, jdbcUrl, "departments", "employees");
      c.setAutoCommit(true);
      return new EmployeeStore(jdbcUrl, c);
    } catch (SQLException | RuntimeException e) {
      Postgres.closeQuietly(c);
      throw e instanceof GeneratorException g ? g : failure(jdbcUrl, e);
    }
  }

  /** A one-line failure naming the server, for errors that are not about the data. */
  static GeneratorException failure(String jdbcUrl, Exception e) {
    return Postgres.failure(jdbcUrl, e);
  }

  /** Whether {@code e} is about the data (a constraint), not the connection or the server. */
  static boolean isConflict(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  boolean isAlive() {
    try {
      return connection.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  long countEmployees() throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM employees")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void begin() throws SQLException {
    connection.setAutoCommit(false);
  }

  void commit() throws SQLException {
    connection.commit();
    connection.setAutoCommit(true);
  }

  void rollbackQuietly() {
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // the connection is broken; closing it is all that is left
    }
  }

  /** In a transaction: blocks other writers until commit, so two seeders cannot both seed. */
  void lockEmployees() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("LOCK TABLE employees IN SHARE ROW EXCLUSIVE MODE");
    }
  }

  /** Inserts the departments whose names are missing; returns all of {@code wanted} with their ids. */
  List<Department> ensureDepartments(List<Department> wanted) throws SQLException {
    try (PreparedStatement ins = connection.prepareStatement(
        "INSERT INTO departments (name, cost_center, location) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
      for (Department d : wanted) {
        ins.setString(1, d.name());
        ins.setString(2, d.costCenter());
        ins.setString(3, d.location());
        ins.addBatch();
      }
      ins.executeBatch();
    }
    Map<String, Department> byName = loadDepartments().stream()
        .collect(Collectors.toMap(Department::name, Function.identity()));
    return wanted.stream().map(d -> byName.get(d.name())).toList();
  }

  List<Department> loadDepartments() throws SQLException {
    List<Department> out = new ArrayList<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT department_id, name, cost_center, location FROM departments ORDER BY department_id")) {
      while (rs.next()) {
        out.add(new Department(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return out;
  }

  /** Every employee, by id: the order the {@link Workforce} is built in, so runs are reproducible. */
  List<Employee> loadEmployees() throws SQLException {
    List<Employee> out = new ArrayList<>();
    try (Statement st = connection.createStatement();
         ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM employees ORDER BY employee_id")) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  Optional<Employee> load(long id) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement("SELECT " + COLUMNS + " FROM employees WHERE employee_id = ?")) {
      st.setLong(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** Inserts one employee and returns its id. */
  long insert(Employee e) throws SQLException {
    if (insertReturning == null) {
      insertReturning = connection.prepareStatement(INSERT + " RETURNING employee_id");
    }
    bind(insertReturning, e);
    try (ResultSet rs = insertReturning.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void addToBatch(Employee e) throws SQLException {
    if (insertBatch == null) {
      insertBatch = connection.prepareStatement(INSERT);
    }
    bind(insertBatch, e);
    insertBatch.addBatch();
  }

  void executeBatch() throws SQLException {
    if (insertBatch != null) {
      insertBatch.executeBatch();
    }
  }

  /**
   * Writes one planned change (auto-committed) and returns the employee id it changed (the new id
   * of a hire).
   *
   * @throws StaleRowException when the row is gone (someone else deleted it)
   */
  long apply(PlannedChange change) throws SQLException {
    if (change instanceof PlannedChange.Hire h) {
      return insert(h.employee());
    }
    PreparedStatement st;
    if (change instanceof PlannedChange.Raise r) {
      st = raise = prepared(raise, "UPDATE employees SET salary = ? WHERE employee_id = ?");
      st.setBigDecimal(1, r.salary());
      st.setLong(2, r.employeeId());
    } else if (change instanceof PlannedChange.Promotion p) {
      st = promote = prepared(promote, "UPDATE employees SET job_title = ?, salary = ? WHERE employee_id = ?");
      st.setString(1, p.jobTitle());
      st.setBigDecimal(2, p.salary());
      st.setLong(3, p.employeeId());
    } else if (change instanceof PlannedChange.DepartmentMove m) {
      st = move = prepared(move, "UPDATE employees SET department_id = ?, manager_id = ? WHERE employee_id = ?");
      st.setLong(1, m.departmentId());
      setLong(st, 2, m.managerId());
      st.setLong(3, m.employeeId());
    } else if (change instanceof PlannedChange.StatusChange s) {
      st = status = prepared(status, "UPDATE employees SET status = ? WHERE employee_id = ?");
      st.setString(1, s.status().sql());
      st.setLong(2, s.employeeId());
    } else if (change instanceof PlannedChange.Delete d) {
      st = delete = prepared(delete, "DELETE FROM employees WHERE employee_id = ?");
      st.setLong(1, d.employeeId());
    } else {
      throw new IllegalArgumentException("unknown change " + change);
    }
    if (st.executeUpdate() != 1) {
      throw new StaleRowException(change.employeeId());
    }
    return change.employeeId();
  }

  @Override
  public void close() {
    Postgres.closeQuietly(connection);
  }

  private PreparedStatement prepared(PreparedStatement existing, String sql) throws SQLException {
    return existing != null ? existing : connection.prepareStatement(sql);
  }

  private static void bind(PreparedStatement st, Employee e) throws SQLException {
    st.setString(1, e.firstName());
    st.setString(2, e.lastName());
    st.setString(3, e.email());
    setLong(st, 4, e.departmentId());
    st.setString(5, e.jobTitle());
    st.setString(6, e.location());
    setLong(st, 7, e.managerId());
    st.setObject(8, e.hireDate());
    st.setBigDecimal(9, e.salary());
    st.setString(10, e.status().sql());
  }

  private static void setLong(PreparedStatement st, int index, Long value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.BIGINT);
    } else {
      st.setLong(index, value);
    }
  }

  private static Employee row(ResultSet rs) throws SQLException {
    long department = rs.getLong(5);
    Long departmentId = rs.wasNull() ? null : department;
    long manager = rs.getLong(8);
    Long managerId = rs.wasNull() ? null : manager;
    BigDecimal salary = rs.getBigDecimal(10);
    return new Employee(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), departmentId,
        rs.getString(6), rs.getString(7), managerId, rs.getObject(9, LocalDate.class), salary,
        Status.fromSql(rs.getString(11)));
  }

  /** An update or delete found no row: the model is stale (another writer changed the table). */
  static final class StaleRowException extends SQLException {
    private static final long serialVersionUID = 1L;

    StaleRowException(long employeeId) {
      super("employee " + employeeId + " no longer exists");
    }
  }
}
