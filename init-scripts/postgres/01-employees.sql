-- Employee master data (DESIGN §3). Applied once, as a superuser, to a fresh database (the
-- local stack's "hr", or POSTGRES_DB in docker-compose), in file-name order.

-- The application role: owns the tables, used by the generators and the batch layer's Quartz store.
CREATE ROLE pipeline LOGIN PASSWORD 'pipeline';

CREATE TABLE departments (
    department_id BIGSERIAL PRIMARY KEY,
    name          TEXT        NOT NULL UNIQUE,
    cost_center   TEXT        NOT NULL,
    location      TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE employees (
    employee_id   BIGSERIAL PRIMARY KEY,
    first_name    TEXT          NOT NULL,
    last_name     TEXT          NOT NULL,
    email         TEXT          NOT NULL UNIQUE,
    department_id BIGINT        REFERENCES departments (department_id),
    job_title     TEXT          NOT NULL,
    location      TEXT,
    manager_id    BIGINT        REFERENCES employees (employee_id) ON DELETE SET NULL,
    hire_date     DATE          NOT NULL,
    salary        NUMERIC(12,2) NOT NULL CHECK (salary > 0),
    status        TEXT          NOT NULL DEFAULT 'active'
                                CHECK (status IN ('active', 'on_leave', 'terminated')),
    created_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ   NOT NULL DEFAULT now()
);

CREATE INDEX employees_department_idx ON employees (department_id);
CREATE INDEX employees_manager_idx ON employees (manager_id);

-- updated_at is maintained by the database, so every writer (generator, admin, psql) gets it right.
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER departments_touch BEFORE UPDATE ON departments
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER employees_touch BEFORE UPDATE ON employees
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE departments OWNER TO pipeline;
ALTER TABLE employees OWNER TO pipeline;
ALTER FUNCTION touch_updated_at() OWNER TO pipeline;
