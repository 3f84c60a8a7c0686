"""Django's PostgreSQL backend with a health check that spares busy connections a round trip
(``ENGINE = "tablee.postgresql"``, set by ``tablee.config.database``)."""
