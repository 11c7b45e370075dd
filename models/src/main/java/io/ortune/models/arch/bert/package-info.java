/** The BERT-style encoder with a sequence-classification head: weight names, encoder layer and builder. */
package io.ortune.models.arch.bert;
