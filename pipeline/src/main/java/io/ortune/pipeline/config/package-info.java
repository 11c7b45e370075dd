/**
 * The sections of {@code pipeline.yaml}, one record per stage. Keys are the record components in kebab case
 * ({@code max-steps}); a key no record has is an error naming it and its line. Null means "not given" (the stage's
 * default applies); an absent section means the stage is not part of the pipeline.
 */
package io.ortune.pipeline.config;
