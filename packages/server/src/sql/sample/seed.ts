// The built-in sample database: a small shop — customers, products, orders and their items — generated
// deterministically (setseed), so every server and every test sees the same rows — and the role cells run
// as, with what it may and may not do. Documented in docs/sql.md and docs/security.md.

export const SAMPLE_SEED_SQL = `
SELECT setseed(0.42);

CREATE TABLE customers (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  email       text NOT NULL UNIQUE,
  country     text NOT NULL,
  signed_up   date NOT NULL
);

CREATE TABLE products (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  category    text NOT NULL,
  price       numeric(10, 2) NOT NULL CHECK (price > 0)
);

CREATE TABLE orders (
  id          integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id),
  ordered_at  timestamptz NOT NULL,
  status      text NOT NULL CHECK (status IN ('pending', 'shipped', 'delivered', 'cancelled'))
);

CREATE TABLE order_items (
  order_id    integer NOT NULL REFERENCES orders (id),
  product_id  integer NOT NULL REFERENCES products (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  unit_price  numeric(10, 2) NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

INSERT INTO customers
SELECT g,
       first || ' ' || last,
       lower(first) || '.' || lower(last) || g || '@example.com',
       (ARRAY['Germany', 'France', 'United Kingdom', 'United States', 'Canada', 'Japan', 'Brazil', 'India',
              'Spain', 'Netherlands'])[1 + floor(random() * 10)::int],
       date '2023-01-01' + floor(random() * 1000)::int
FROM generate_series(1, 500) AS g,
LATERAL (SELECT (ARRAY['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances',
                       'Guido', 'Radia', 'Edsger', 'Hedy', 'Tim', 'Katherine', 'John', 'Sophie', 'Yukihiro',
                       'Anders', 'Shafi'])[1 + floor(random() * 20)::int + (g * 0)] AS first,
                (ARRAY['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson',
                       'Allen', 'van Rossum', 'Perlman', 'Dijkstra', 'Lamarr', 'Berners-Lee', 'Johnson',
                       'McCarthy', 'Wilson', 'Matsumoto', 'Hejlsberg', 'Goldwasser'])[1 + floor(random() * 20)::int + (g * 0)] AS last) AS names;

INSERT INTO products
SELECT g, p.name, p.category, p.price
FROM (VALUES
  (1, 'Mechanical keyboard', 'Peripherals', 129.00), (2, 'Wireless mouse', 'Peripherals', 39.90),
  (3, 'USB-C hub', 'Peripherals', 49.50), (4, '27" monitor', 'Displays', 329.00),
  (5, '34" ultrawide monitor', 'Displays', 649.00), (6, 'Laptop stand', 'Accessories', 45.00),
  (7, 'Noise-cancelling headphones', 'Audio', 279.00), (8, 'Desk microphone', 'Audio', 119.00),
  (9, 'Webcam 4K', 'Peripherals', 159.00), (10, 'Standing desk', 'Furniture', 549.00),
  (11, 'Ergonomic chair', 'Furniture', 429.00), (12, 'Desk lamp', 'Furniture', 59.00),
  (13, 'Notebook (paper)', 'Stationery', 12.50), (14, 'Fountain pen', 'Stationery', 34.00),
  (15, 'Cable organiser', 'Accessories', 15.90), (16, 'Laptop sleeve', 'Accessories', 29.00),
  (17, 'External SSD 1 TB', 'Storage', 99.00), (18, 'External SSD 4 TB', 'Storage', 299.00),
  (19, 'SD card 128 GB', 'Storage', 24.90), (20, 'Bluetooth speaker', 'Audio', 89.00),
  (21, 'Drawing tablet', 'Peripherals', 199.00), (22, 'Monitor arm', 'Accessories', 79.00),
  (23, 'Wrist rest', 'Accessories', 19.90), (24, 'Portable monitor', 'Displays', 229.00)
) AS p (g, name, category, price);

INSERT INTO orders
SELECT g,
       1 + floor(random() * 500)::int,
       timestamptz '2024-01-01 00:00:00+00' + (random() * 700) * interval '1 day',
       (ARRAY['delivered', 'delivered', 'delivered', 'shipped', 'pending', 'cancelled'])[1 + floor(random() * 6)::int]
FROM generate_series(1, 3000) AS g;

INSERT INTO order_items
SELECT DISTINCT ON (o.id, pick.product_id) o.id, pick.product_id, 1 + floor(random() * 4)::int, p.price
FROM orders AS o
CROSS JOIN LATERAL (
  SELECT 1 + floor(random() * 24)::int + (o.id * 0) AS product_id FROM generate_series(1, 1 + floor(random() * 4)::int + (o.id * 0))
) AS pick
JOIN products AS p ON p.id = pick.product_id;

ANALYZE;
`;

/** One line per table for the docs and the banner: name and row count are checked by the tests. */
export const SAMPLE_TABLES = ["customers", "products", "orders", "order_items"] as const;

/** The role every cell runs as (`SET LOCAL ROLE` inside the cell's transaction). */
export const CELL_ROLE = "notebook";

/**
 * Applied once, as the superuser, when the snapshot is built. The cell role is no superuser and owns
 * nothing: it may read and change the four tables' rows (inside a transaction that is always rolled
 * back), nothing else. No CREATE on any schema and no TEMP (so no functions, operators or tables of its
 * own to shadow anything with), no procedural language, no set_config (settings and roles are not
 * changed from SQL functions either), and none of the roles that read or write server files or run
 * programs (pg_read_server_files, pg_write_server_files, pg_execute_server_program) — PostgreSQL refuses
 * COPY … TO PROGRAM, pg_read_file, lo_import and friends to it by itself.
 */
export const CELL_ROLE_SQL = `
CREATE ROLE ${CELL_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
REVOKE ALL ON DATABASE postgres FROM PUBLIC;
REVOKE ALL ON DATABASE template1 FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ${CELL_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON customers, products, orders, order_items TO ${CELL_ROLE};
REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;
REVOKE USAGE ON LANGUAGE sql FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean, text, text, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean, text, bytea, boolean) FROM PUBLIC;
CHECKPOINT;
`;
