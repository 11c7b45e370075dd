package io.ortune.export.hotswap;

/** What a hot-swap graph computes when no adapter is active for a run: the initializer defaults of its LoRA inputs. */
public enum HotSwapDefaults {
    /**
     * LoRA A and B default to zeros: a run without an adapter gives the base model's outputs (the LoRA term adds an
     * exact 0). The default, so that "no adapter" means the base model.
     */
    ZEROS,
    /** The attached adapter's own tensors stay as the defaults: a run without an adapter gives that adapter. */
    ATTACHED
}
