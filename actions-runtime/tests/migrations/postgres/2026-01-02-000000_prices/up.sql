CREATE TABLE prices (
    id BIGSERIAL PRIMARY KEY,
    amount NUMERIC NOT NULL,
    discount NUMERIC
);
