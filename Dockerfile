# syntax=docker/dockerfile:1
# Pforte: a static, non-root image. Works with a read-only root file system
# (mount a volume at /data for the embedded store, or set store.redis_url).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/pforte ./app \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pforte /pforte
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV PFORTE_CONFIG=/etc/pforte/pforte.yaml
EXPOSE 3000
VOLUME ["/data"]
ENTRYPOINT ["/pforte"]
CMD ["serve"]
