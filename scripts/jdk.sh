# Sourced by ./iso-switch, ./run-tests and .ci/run: sets JAVA_HOME to a JDK 25 and MVN to Maven.
# The machine's default java is older; JDK 25 lies under /usr/lib/jvm.

jdk_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

find_jdk25() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" && "$(jdk_major "$JAVA_HOME")" -ge 25 ]]; then
    echo "$JAVA_HOME"; return 0
  fi
  local candidate
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if [[ -x "$candidate/bin/javac" && "$(jdk_major "$candidate")" -ge 25 ]]; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if ! JAVA_HOME="$(find_jdk25)"; then
  echo "iso-switch: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm)" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

if ! MVN="$(command -v mvn)"; then
  echo "iso-switch: Maven is missing; installing it with apt-get" >&2
  (apt-get update -qq && apt-get install -y -qq maven) 1>&2
  MVN="$(command -v mvn)"
fi
# Maven's own libraries call sun.misc.Unsafe, which JDK 25 warns about on every run.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
