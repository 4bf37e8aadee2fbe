# Multi-stage build: a release binary with SQLite and libpq built in, on a slim runtime.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY .cargo ./.cargo
COPY src ./src
COPY migrations ./migrations
COPY dataset ./dataset
RUN cargo build --release --locked && strip target/release/iom-lrg-api

FROM debian:bookworm-slim
RUN useradd --system --home /srv/iom-lrg --create-home iom
COPY --from=build /src/target/release/iom-lrg-api /usr/local/bin/iom-lrg-api
USER iom
WORKDIR /srv/iom-lrg
ENV BIND_ADDR=0.0.0.0:8080 IOM_LRG_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["iom-lrg-api"]
CMD ["serve"]
