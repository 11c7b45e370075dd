/**
 * Model validation: {@link io.ortune.graph.validate.ModelValidator} lists every problem of a model as
 * {@link io.ortune.graph.validate.ValidationIssue}s; {@link io.ortune.graph.validate.ValidationException} carries them
 * when a caller needs a valid model.
 */
package io.ortune.graph.validate;
