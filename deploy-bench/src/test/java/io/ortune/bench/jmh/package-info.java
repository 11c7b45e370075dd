/**
 * JMH microbenchmarks of the Java hot paths around a session run: tensor marshalling, sampling, tokenizer. Run with
 * {@code tools/run-jmh.sh [JMH options]} from the repository root.
 */
package io.ortune.bench.jmh;
