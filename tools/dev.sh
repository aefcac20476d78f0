#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (run as root, or as a user with sudo):
#   bash tools/dev.sh run    install what is missing, build, run the default county scenario
#   bash tools/dev.sh test   install what is missing, build, run the whole test suite, then the
#                            unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
#                            then each libFuzzer target for 30 s (tools/fuzz.sh)
#   bash tools/dev.sh build  install what is missing and build (Release)
# Packages come from Debian only; nothing is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang, libclang-rt-14-dev: the libFuzzer targets (tools/fuzz.sh), built with Clang only.
# openssh-client: OpenMPI's mpirun looks for an ssh/rsh launcher even for ranks on this machine.
# slurm-wlm, munge: the Slurm integration test starts its own one-node cluster
# (tools/slurm_integration.sh); the packages' own services are not used.
# chromium, fonts-noto-cjk: the browser test of `cmasim report` (tools/browser_report_test.sh).
PACKAGES=(
  cmake ninja-build g++ pkg-config clang-format libnlopt-cxx-dev
  libboost-graph-dev libboost-math-dev libeigen3-dev libyaml-cpp-dev libspdlog-dev
  libcli11-dev nlohmann-json3-dev librandom123-dev libgtest-dev libgmock-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin openssh-client python3-pandas python3-matplotlib python3-yaml
  python3-dev pybind11-dev python3-pybind11 python3-pytest slurm-wlm munge
  clang libclang-rt-14-dev chromium fonts-noto-cjk
)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "setup: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)"
}

mode="${1:-run}"
case "$mode" in
  build)
    install_missing; build ;;
  run)
    install_missing; build
    shift || true
    exec build/release/src/cmasim run scenarios/baseline.yaml "$@" ;;
  test)
    install_missing
    bash tools/format.sh --check   # the tree as .clang-format defines it (docs/architecture.md)
    build
    # As root the Slurm test must run, not report a skip (it needs root to start slurmd's jobs).
    if [ "$(id -u)" -eq 0 ]; then export CMASIM_REQUIRE_SLURM=1; fi
    # The packages above include chromium and Noto CJK: the browser test must run, not skip.
    export CMASIM_REQUIRE_BROWSER=1
    ctest --preset release -j "$(nproc)"
    bash tools/check_scenarios.sh   # scenario outputs against tests/baselines/ (docs/ci.md)
    # Sanitizer pass. The MPI test is left out here: OpenMPI's own start-up allocations are
    # reported as leaks by LeakSanitizer (they are not ours); it runs in the release pass above.
    # So are the large loading tests (the 50 MB file, Loading.*): yaml-cpp holds ~4 GB for the
    # first and takes minutes even in Release; under the sanitizers they would dominate CI's time
    # (they run in the release pass).
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$(nproc)"
    ctest --preset asan -L unit -E 'Mpi|FiftyMegabyte|Loading\.' -j "$(nproc)"
    # The fuzzers, each for a short fixed time (docs/reliability.md says how to run them longer).
    bash tools/fuzz.sh 30 ;;
  *)
    echo "usage: bash tools/dev.sh [run|test|build]" >&2; exit 2 ;;
esac
