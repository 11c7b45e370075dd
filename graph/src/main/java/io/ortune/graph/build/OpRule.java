package io.ortune.graph.build;

import io.ortune.graph.ir.ValueType;

import java.util.List;

/**
 * Checks one op's inputs and attributes against its schema and infers its output types (null = unknown).
 * Registered per domain and op type with {@link OpSchemas#register}.
 */
@FunctionalInterface
public interface OpRule {

    /** Output types, one per output; throws {@link OpCheckException} on a schema violation. */
    List<ValueType> apply(OpContext c);
}
