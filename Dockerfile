# syntax=docker/dockerfile:1
# Pforte: one static binary (templates and static files embedded) on a
# distroless base, running as a non-root user. Nothing is written to the root
# file system, so it runs with readOnlyRootFilesystem: the config and branding
# files are mounted read-only at /etc/pforte, Redis holds the state
# (store.redis_url), /tmp may be an emptyDir/tmpfs. Only the embedded store
# (no redis_url, one instance) writes: mount a volume at /data for it.
#
#   docker build -t pforte .
#   docker run --read-only -v $PWD/pforte.yaml:/etc/pforte/pforte.yaml:ro \
#     -e PFORTE_SECRET_KEY=... -p 3000:3000 pforte
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
ARG TARGETOS=linux
ARG TARGETARCH=amd64
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO_ENABLED=0: a static binary that needs no libc (distroless/static has none).
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -buildvcs=false -ldflags="-s -w" -o /out/pforte ./app \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="Pforte" \
      org.opencontainers.image.description="Employee portal for public administrations: many branded cities on one instance" \
      org.opencontainers.image.source="https://gitlab.opencode.de/pforte/pforte" \
      org.opencontainers.image.licenses="EUPL-1.2"
COPY --from=build /out/pforte /pforte
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV PFORTE_CONFIG=/etc/pforte/pforte.yaml
EXPOSE 3000
VOLUME ["/data"]
ENTRYPOINT ["/pforte"]
CMD ["serve"]
