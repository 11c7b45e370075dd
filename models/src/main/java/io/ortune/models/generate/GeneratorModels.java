package io.ortune.models.generate;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.AdapterForms;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelForms;
import io.ortune.models.arch.ModelMetadata;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;
import io.ortune.runtime.ValueInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the session a {@link Generator} runs: the model's KV-cache form, with the spec that describes it. */
final class GeneratorModels {

    private GeneratorModels() {
    }

    static Generator open(Path file, SessionOptions options) throws IOException {
        Model model = OnnxReader.read(file);
        String label = file.toString();
        if (!model.metadataProps().containsKey(ModelMetadata.FORM)) {
            DecoderSpec.fromSignature(infos(model.graph().inputs()), infos(model.graph().outputs()), label);
            InferenceSession session = InferenceSession.open(file, options);
            return withSignatureSpec(session, label);
        }
        ModelMetadata.Description d = ModelMetadata.read(model, label);
        DecoderSpec spec = DecoderSpec.fromConfig(d.config(), label);
        if (d.form() == Form.TRAINING) {
            return of(model, options, label);
        }
        return checked(InferenceSession.open(file, options), spec, label);
    }

    /** An ortune-built model in either form, serialized into the session (its KV-cache form built if needed). */
    static Generator of(Model model, SessionOptions options, String label) throws IOException {
        ModelMetadata.Description d = ModelMetadata.read(model, label);
        DecoderSpec spec = DecoderSpec.fromConfig(d.config(), label);
        Model kv = d.form() == Form.KV_CACHE ? model : kvCacheForm(model);
        String what = d.form() == Form.KV_CACHE ? label : label + " (KV-cache form, built in memory)";
        return checked(InferenceSession.fromBytes(OnnxWriter.toBytes(kv), options, what), spec, what);
    }

    /**
     * The KV-cache form of a training-form model; its adapters (unmerged) are carried over by {@link AdapterForms},
     * the base rebuilt from its weights alone.
     */
    static Model kvCacheForm(Model training) {
        if (PeftMetadata.adapters(training).isEmpty()) {
            return ModelForms.toKvCache(training);
        }
        return AdapterForms.transfer(training, ModelForms.toKvCache(AdapterForms.baseWeights(training)));
    }

    /** The IR's view of graph inputs or outputs, to check a model's shape before ONNX Runtime loads it. */
    private static List<ValueInfo> infos(List<Value> values) {
        List<ValueInfo> out = new ArrayList<>();
        for (Value v : values) {
            boolean tensor = v.type() == null || v.type() instanceof ValueType.TensorType;
            DataType dtype = v.dtype() == null ? DataType.UNDEFINED : v.dtype();
            Shape shape = v.shape() == null ? Shape.UNKNOWN_RANK : v.shape();
            out.add(new ValueInfo(v.name(), tensor ? ValueInfo.Kind.TENSOR : ValueInfo.Kind.UNKNOWN, dtype, shape));
        }
        return out;
    }

    private static Generator withSignatureSpec(InferenceSession session, String label) {
        try {
            return new Generator(session, DecoderSpec.fromSignature(session.inputs(), session.outputs(), label));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Checks that the session's signature agrees with the spec from the metadata. */
    private static Generator checked(InferenceSession session, DecoderSpec spec, String label) {
        try {
            DecoderSpec seen = DecoderSpec.fromSignature(session.inputs(), session.outputs(), label);
            if (seen.layers() != spec.layers() || seen.kvHeads() != spec.kvHeads() || seen.headDim() != spec.headDim()) {
                throw new IllegalArgumentException(label + ": its graph has " + seen.layers() + " cached layers of "
                        + seen.kvHeads() + " x " + seen.headDim() + " but its ortune.config says " + spec.layers()
                        + " of " + spec.kvHeads() + " x " + spec.headDim());
            }
            return new Generator(session, spec);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }
}
