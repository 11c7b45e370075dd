package io.ortune.pipeline.config;

/**
 * The root of {@code pipeline.yaml}.
 *
 * @param name        the pipeline's name (reports, summaries)
 * @param description free text
 * @param threads     ONNX Runtime intra-op threads for every stage (2)
 * @param seed        seed of everything random: data split and order, adapter init, head init (42)
 * @param base        required
 * @param inject      the adapter to inject
 * @param train       fine-tuning
 * @param evaluate    held-out quality before/after
 * @param merge       fold the adapter into the base
 * @param quantize    post-training quantization
 * @param compile     TensorRT engine
 * @param bench       latency/throughput
 * @param report      HTML report
 */
public record PipelineFile(String name, String description, Integer threads, Long seed, BaseSection base,
                           InjectSection inject, TrainSection train, EvaluateSection evaluate, MergeSection merge,
                           QuantizeSection quantize, CompileSection compile, BenchSection bench,
                           ReportSection report) {

    public int threadsOr() { return threads == null ? 2 : threads; }
    public long seedOr() { return seed == null ? 42 : seed; }
}
