# Shared by bin/bladeshare, bin/bladectl and bin/test: find the project, a JDK 25, and the JAR.
# shellcheck shell=bash
BLADESHARE_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BLADESHARE_JAR="$BLADESHARE_HOME/appliance/target/bladeshare.jar"

# find_jdk: sets JAVA_HOME to a JDK 25 (JAVA_HOME first, then /usr/lib/jvm/*), or says what to install.
find_jdk() {
  local candidate
  # BLADESHARE_JDK_DIRS overrides where to look (the tests use it to show the no-JDK error).
  for candidate in "${JAVA_HOME:-}" ${BLADESHARE_JDK_DIRS:-/usr/lib/jvm/*}; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    # The JDK's release file names its version without starting a JVM (bladectl must start fast).
    if grep -Eq '^JAVA_VERSION="25([."]|$)' "$candidate/release" 2>/dev/null \
       || { [ ! -f "$candidate/release" ] && "$candidate/bin/java" -version 2>&1 | head -1 | grep -Eq 'version "25([."]|$)'; }; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "$(basename "$0"): no JDK 25 found in JAVA_HOME or /usr/lib/jvm; install one (for example Temurin 25: apt-get install temurin-25-jdk) or set JAVA_HOME to it." >&2
  exit 2
}

# jar_is_stale: true when the JAR is missing or older than any source or pom.
jar_is_stale() {
  [ -f "$BLADESHARE_JAR" ] || return 0
  [ -n "$(find "$BLADESHARE_HOME" -path "$BLADESHARE_HOME/var" -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$BLADESHARE_JAR" -print -quit)" ]
}

# ensure_jar: builds the fat JAR when it is stale, one build at a time across processes.
ensure_jar() {
  jar_is_stale || return 0
  mkdir -p "$BLADESHARE_HOME/var"
  (
    flock 9
    jar_is_stale || exit 0
    echo "$(basename "$0"): building appliance/target/bladeshare.jar (about a minute on first run)..." >&2
    cd "$BLADESHARE_HOME" && ./mvnw -q -B -DskipTests package >"$BLADESHARE_HOME/var/build.log" 2>&1 || {
      tail -20 "$BLADESHARE_HOME/var/build.log" >&2
      echo "$(basename "$0"): the build failed; the whole log is in var/build.log" >&2
      exit 2
    }
  ) 9>"$BLADESHARE_HOME/var/.build.lock" || exit 2
}

JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Djava.net.preferIPv4Stack=true)
