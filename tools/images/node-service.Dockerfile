# The one image definition of every Node project here (frontend, pinger v1/v2, details, loadgen):
# built by tools/images (`npx nx docker-build <project>`), which fills the build arguments from the
# project's entry in tools/images/images.json. A change to the runtime image is made here, once.
# Build context: the repository root, e.g.
#   docker build -f tools/images/node-service.Dockerfile --build-arg PROJECT=pinger \
#     --build-arg PROJECT_ROOT=apps/pinger --build-arg PORT=3000 --build-arg PINGER_VERSION=v2 \
#     --build-arg "DESCRIPTION=Learnathon pinger" -t learnathon/pinger:v2 .
# A CLI without a port (loadgen) is built with `--target cli`.
# The base images are build arguments so the image can be built where no registry is reachable.
ARG BUILD_IMAGE=node:20-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot

# ---- build: the workspace's own Nx build, then only the production dependencies it lists ----
# Every step before the first use of PROJECT is the same for every image, so its layers are shared.
FROM ${BUILD_IMAGE} AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true NX_TUI=false CI=true
WORKDIR /workspace
COPY package.json package-lock.json .npmrc ./
# Exactly the lockfile's versions. Install scripts are skipped: the build needs none.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The Nx project to build and the folder it lives in (its bundle lands in dist/<PROJECT_ROOT>).
ARG PROJECT
ARG PROJECT_ROOT
RUN test -n "${PROJECT}" -a -n "${PROJECT_ROOT}" || { echo 'build arguments PROJECT and PROJECT_ROOT are required' >&2; exit 1; }
RUN npx nx build ${PROJECT} --output-style=static
# The build wrote a package.json and package-lock.json with exactly the bundle's runtime dependencies.
WORKDIR /workspace/dist/${PROJECT_ROOT}
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: node, the bundle and its production node_modules; no compiler, no sources ----
FROM ${RUNTIME_IMAGE} AS cli
# pinger v1 and v2 are one codebase: this only sets the default version, PINGER_VERSION at run
# time still wins. Empty (the same as unset for the services' config) in the other images.
ARG PINGER_VERSION=
ENV PINGER_VERSION=${PINGER_VERSION}
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    PATH=/nodejs/bin:/usr/local/bin:/usr/bin:/bin
WORKDIR /app
# Owned by root and read-only for the app's user: the process can't rewrite its own code.
ARG PROJECT_ROOT
COPY --from=build /workspace/dist/${PROJECT_ROOT}/ ./
USER 10001:10001
# Exec form, node as PID 1: SIGTERM reaches the process directly, no shell in between.
# PATH covers distroless (/nodejs/bin) and the node images (/usr/local/bin).
ENTRYPOINT ["node", "/app/main.js"]
ARG PROJECT
ARG DESCRIPTION
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="learnathon-${PROJECT}" \
      org.opencontainers.image.description="${DESCRIPTION}" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.licenses="MIT"

# ---- service (the default): the same, plus the port it listens on ----
FROM cli AS service
ARG PORT
EXPOSE ${PORT}
