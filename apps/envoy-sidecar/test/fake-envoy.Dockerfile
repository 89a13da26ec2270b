# Test only: a local "envoy image" whose /usr/local/bin/envoy is the stand-in (test/fake-envoy.ts),
# so the podman smoke test can build apps/envoy-sidecar/Dockerfile with ENVOY_IMAGE pointing here
# where no Envoy image can be pulled. The context is a folder holding the bundled stand-in as
# `envoy` (its shebang is /nodejs/bin/node: the sidecar image's Node runs it).
FROM scratch
COPY envoy /usr/local/bin/envoy
