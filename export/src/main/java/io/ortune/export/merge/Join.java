package io.ortune.export.merge;

import io.ortune.graph.ir.Node;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.LinearSite;

/**
 * The one node where an adapter's contribution meets the base flow at one linear module: bypassing it
 * ({@code input(0)} takes the place of its output) removes the adapter there.
 *
 * @param adapter the adapter's record
 * @param site    the base linear layer
 * @param node    the joining Add (LoRA, DoRA: {@code y + delta}) or Mul (IA3: {@code y·l}, {@code x·l})
 * @param kind    what folding it means
 */
record Join(AdapterInfo adapter, LinearSite site, Node node, Kind kind) {

    /** What a join does to the layer. */
    enum Kind {
        /** {@code y + delta(x)}: W gains an additive ΔW (LoRA, rsLoRA, DoRA). */
        DELTA,
        /** {@code y · l}: rows of W and the bias scale by l (IA3 on a non-feed-forward module). */
        SCALE_OUTPUT,
        /** {@code W (x · l)}: columns of W scale by l (IA3 on a feed-forward module). */
        SCALE_INPUT
    }

    String module() {
        return site.module();
    }
}
