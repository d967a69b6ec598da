# Homeward: a static binary on a small base, running as a non-root user,
# with time zone data (check-in times are shown in each reader's zone) and
# the data file on a volume at /data.
#
# The build stage runs exactly what CI runs (.ci/build): keep the two the same.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags "-s -w" -o /out/homeward ./cmd/homeward

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/homeward /homeward
ENV HOMEWARD_DATA=/data/homeward.db \
    HOMEWARD_HTTP_ADDR=0.0.0.0:8080
VOLUME ["/data"]
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/homeward"]
