/**
 * Tokenizers behind one interface, {@link io.ortune.models.tokenizer.Tokenizer}: GPT-2 byte-level BPE in Java
 * ({@link io.ortune.models.tokenizer.Gpt2BpeTokenizer}) and any Hugging Face {@code tokenizer.json} through DJL
 * ({@link io.ortune.models.tokenizer.HfTokenizer}); {@link io.ortune.models.tokenizer.Tokenizers} picks one for a
 * folder.
 */
package io.ortune.models.tokenizer;
