# Shared by scripts/fuzz-codec and scripts/fuzz-cores (sourced, not run): builds libFuzzer
# targets with clang in their own build directory and runs bounded campaigns.
#   fuzz_build BUILD_DIR TARGET...        configure (-DGMP_FUZZ=ON, ASan+UBSan) and build
#   fuzz_run BUILD_DIR TARGET SEEDS ARGS  run one target; non-zero on a crash, with its log
# GMP_FUZZ_SECONDS (default 20) bounds each run; GMP_FUZZ_RUNS, when set, bounds it by
# executions instead (a campaign of a given size). GMP_FUZZ_TIMEOUT (default 10 s) is the
# wall time after which one input counts as a hang: a long campaign at a low priority on a
# shared machine may need more (an input of a few milliseconds was once reported at 14 s).

fuzz_clang() {
  clangxx="$(command -v clang++ || command -v clang++-14 || true)"
  clangc="$(command -v clang || command -v clang-14 || true)"
  [[ -n "$clangxx" && -n "$clangc" ]]
}

fuzz_build() {
  local build=$1
  shift
  mkdir -p "$build"
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$clangxx" -DCMAKE_C_COMPILER="$clangc" -DGMP_FUZZ=ON \
    -DGMP_BUILD_TESTS=OFF -DGMP_BUILD_BENCH=OFF -DGMP_BUILD_DISSECTOR=OFF >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log"; echo "fuzz: configure failed"; return 1; }
  cmake --build "$build" -j "${GMP_JOBS:-2}" --target "$@"
}

fuzz_run() {
  local build=$1 target=$2 seeds=$3
  shift 3
  local corpus="$build/corpus/$target" artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  local bound=(-max_total_time="${GMP_FUZZ_SECONDS:-20}")
  [[ -n "${GMP_FUZZ_RUNS:-}" ]] && bound=(-runs="$GMP_FUZZ_RUNS")
  echo "fuzz: $target (${bound[*]})"
  if ! "$build/bin/$target" "$corpus" "$seeds" "${bound[@]}" -timeout="${GMP_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts" -print_final_stats=1 "$@" >"$build/$target.log" 2>&1; then
    echo "fuzz: $target FAILED (input saved in $artifacts):"
    tail -n 40 "$build/$target.log"
    return 1
  fi
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$build/$target.log" | tail -n 2 || true
}
