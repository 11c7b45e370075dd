package io.ortune.bench.train;

import io.ortune.models.config.Gpt2Config;

/**
 * Matrix-multiply FLOPs of one GPT-2 training step (forward + backward; element-wise work, softmax, LayerNorm,
 * GELU, the loss and the optimizer are not counted), split so that a frozen setting is counted honestly.
 *
 * <p>With T = batch·seq tokens, E = n_embd, I = n_inner, V = vocab, L blocks of which the top k train, and one
 * multiply-add = 2 FLOPs:
 * <ul>
 *   <li>P_block = 3E² + E² + E·I + I·E (c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj weights), P_head = V·E (the LM head,
 *       tied to wte); biases and embedding look-ups cost no MatMul.</li>
 *   <li>A = 4·batch·seq²·E: one block's attention MatMuls, q·kᵀ and p·v over the full seq×seq score matrix (the graph
 *       computes all of it and masks afterwards, so the causal half is counted too).</li>
 *   <li>forward = 2·T·(L·P_block + P_head) + L·A.</li>
 *   <li>backward, activation gradients (dX = dY·Wᵀ, and the four attention MatMuls) through the layers a gradient
 *       must cross: the LM head and the top k blocks, down to the first trained block's input LayerNorm =
 *       2·T·(P_head + k·P_block) + 2·k·A.</li>
 *   <li>backward, weight gradients (dW = Xᵀ·dY) of trained weights only = 2·T·(k·P_block + [embeddings train]·P_head).
 *       </li>
 * </ul>
 * Full fine-tuning (k = L, embeddings train) gives exactly 3 × forward = 6·T·N_matmul + 12·L·batch·seq²·E. In
 * "last2" no gradient goes below block L−2 (no frozen block's activation gradient, no frozen weight's gradient),
 * which is what both ortune's autodiff and PyTorch's autograd compute.
 *
 * <p>LoRA (rank r on modules of in × out, P_lora = Σ r·(in + out) per block, base frozen): forward adds 2·T·L·P_lora;
 * activation gradients cross every block and every adapter, 2·T·(P_head + L·P_block + L·P_lora) + 2·L·A, less block
 * 0's {@code c_attn} input gradient (3E², plus r·E through its adapter when it has one: nothing below block 0
 * trains); weight gradients are the adapters' only, 2·T·L·P_lora.
 *
 * @param forward            forward FLOPs per step
 * @param backwardActivation activation-gradient FLOPs per step
 * @param backwardWeight     weight-gradient FLOPs per step
 */
public record TrainingFlops(double forward, double backwardActivation, double backwardWeight) {

    /** One-line statement of the formula, for reports. */
    public static final String FORMULA = "forward 2·T·(L·P_block + P_head) + L·A; backward activation grads "
            + "2·T·(P_head + k·P_block) + 2·k·A; backward weight grads 2·T·(k·P_block + [wte trains]·P_head); "
            + "T = batch·seq, P_block = 4E² + 2E·I, P_head = V·E (tied wte), A = 4·batch·seq²·E, k = trained blocks; "
            + "LoRA: + 2·T·L·P_lora in each of the three, P_lora = Σ r·(in + out) over a block's adapted modules, no "
            + "base weight gradient, no gradient into block 0's c_attn input";

    /** The FLOPs of one step of {@code mode} at {@code batch} × {@code seq}. */
    public static TrainingFlops of(Gpt2Config c, TrainMode mode, int batch, int seq) {
        double e = c.nEmbd();
        double tokens = (double) batch * seq;
        double block = 4 * e * e + 2 * e * c.nInner();
        double head = (double) c.vocabSize() * e;
        double attention = 4.0 * batch * seq * (double) seq * e;
        int layers = c.nLayer();
        int k = mode.trainedBlocks(layers);
        if (mode.lora()) {
            double adapters = loraParamsPerBlock(c, mode);
            double forward = 2 * tokens * (layers * (block + adapters) + head) + layers * attention;
            double firstInput = 3 * e * e + (mode.loraModules().contains("attn.c_attn") ? TrainMode.LORA_R * e : 0);
            double activation = 2 * tokens * (head + layers * (block + adapters) - firstInput)
                    + 2 * layers * attention;
            return new TrainingFlops(forward, activation, 2 * tokens * layers * adapters);
        }
        double forward = 2 * tokens * (layers * block + head) + layers * attention;
        double activation = 2 * tokens * (head + k * block) + 2 * k * attention;
        double weight = 2 * tokens * (k * block + (mode.trainsEmbeddings() ? head : 0));
        return new TrainingFlops(forward, activation, weight);
    }

    /** One block's LoRA parameters (A and B of every adapted module), r·(in + out) each. */
    public static long loraParamsPerBlock(Gpt2Config c, TrainMode mode) {
        long e = c.nEmbd();
        long inner = c.nInner();
        long sum = 0;
        for (String m : mode.loraModules()) {
            long[] io = switch (m) {
                case "attn.c_attn" -> new long[] {e, 3 * e};
                case "attn.c_proj" -> new long[] {e, e};
                case "mlp.c_fc" -> new long[] {e, inner};
                case "mlp.c_proj" -> new long[] {inner, e};
                default -> throw new IllegalStateException("unknown GPT-2 module " + m);
            };
            sum += (long) TrainMode.LORA_R * (io[0] + io[1]);
        }
        return sum;
    }

    /** All three. */
    public double total() {
        return forward + backwardActivation + backwardWeight;
    }
}
