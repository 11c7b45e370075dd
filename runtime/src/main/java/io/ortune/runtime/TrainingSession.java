package io.ortune.runtime;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtStatus;
import org.bytedeco.onnxruntime.OrtTrainingApi;
import org.bytedeco.onnxruntime.OrtTrainingSession;
import org.bytedeco.onnxruntime.OrtValue;

/**
 * ONNX Runtime's on-device training session over a set of training artifacts: a training model (forward, backward
 * and gradient accumulation), optionally an eval model and an optimizer model, and a {@link CheckpointState} holding
 * the parameters. One call per training-loop verb: {@link #trainStep}, {@link #lazyResetGrad}, {@link #optimizerStep},
 * {@link #evalStep}, learning-rate control, parameter copies and {@link #exportModelForInferencing}.
 *
 * <p>Steps take the models' user inputs by name (parameters and gradient buffers are fed by ONNX Runtime from the
 * checkpoint) and return the models' outputs by name. The learning rate is not restored from a checkpoint: set it after
 * every session creation. Not thread-safe: drive a session from one thread. Close it to release the native session;
 * using it afterwards throws {@link IllegalStateException}.
 */
public final class TrainingSession implements AutoCloseable {

    private final OrtRuntime rt;
    private final CheckpointState checkpoint;
    private final String label;
    private final List<String> trainInputs;
    private final List<String> trainOutputs;
    private final List<String> evalInputs;
    private final List<String> evalOutputs;
    private OrtTrainingSession session;

    private TrainingSession(OrtRuntime rt, CheckpointState checkpoint, OrtTrainingSession session, String label,
                            boolean hasEval) {
        this.rt = rt;
        this.checkpoint = checkpoint;
        this.session = session;
        this.label = label;
        OrtTrainingApi t = rt.trainingApi();
        try {
            trainInputs = SessionIo.names(rt, out -> t.TrainingSessionGetTrainingModelInputCount(session, out),
                    (i, out) -> t.TrainingSessionGetTrainingModelInputName(session, i, rt.allocator(), out),
                    "training model inputs of " + label);
            trainOutputs = SessionIo.names(rt, out -> t.TrainingSessionGetTrainingModelOutputCount(session, out),
                    (i, out) -> t.TrainingSessionGetTrainingModelOutputName(session, i, rt.allocator(), out),
                    "training model outputs of " + label);
            evalInputs = !hasEval ? List.of() : SessionIo.names(rt,
                    out -> t.TrainingSessionGetEvalModelInputCount(session, out),
                    (i, out) -> t.TrainingSessionGetEvalModelInputName(session, i, rt.allocator(), out),
                    "eval model inputs of " + label);
            evalOutputs = !hasEval ? List.of() : SessionIo.names(rt,
                    out -> t.TrainingSessionGetEvalModelOutputCount(session, out),
                    (i, out) -> t.TrainingSessionGetEvalModelOutputName(session, i, rt.allocator(), out),
                    "eval model outputs of " + label);
        } catch (RuntimeException e) {
            t.ReleaseTrainingSession(session);
            throw e;
        }
        checkpoint.attach();
    }

    /**
     * Creates a training session from model files. {@code evalModel} and {@code optimizerModel} may be null (no
     * {@link #evalStep} / no {@link #optimizerStep}; export needs the eval model).
     */
    public static TrainingSession create(CheckpointState checkpoint, Path trainModel, Path evalModel,
                                         Path optimizerModel, SessionOptions options) {
        Objects.requireNonNull(trainModel, "trainModel");
        OrtRuntime rt = OrtRuntime.get();
        String what = "training session (" + trainModel + (evalModel == null ? "" : ", " + evalModel)
                + (optimizerModel == null ? "" : ", " + optimizerModel) + ")";
        try (NativeSessionOptions so = NativeSessionOptions.create(rt, options, what);
             BytePointer train = NativeSessionOptions.path(trainModel);
             BytePointer eval = evalModel == null ? null : NativeSessionOptions.path(evalModel);
             BytePointer optim = optimizerModel == null ? null : NativeSessionOptions.path(optimizerModel)) {
            OrtTrainingSession s = new OrtTrainingSession();
            OrtStatus status = rt.trainingApi().CreateTrainingSession(rt.env(), so.handle(), checkpoint.requireOpen(),
                    train, eval, optim, s);
            return created(rt, checkpoint, options, what, status, s, evalModel != null);
        }
    }

    /** Creates a training session from serialized models; {@code evalModel} and {@code optimizerModel} may be null. */
    public static TrainingSession fromBytes(CheckpointState checkpoint, byte[] trainModel, byte[] evalModel,
                                            byte[] optimizerModel, SessionOptions options) {
        Objects.requireNonNull(trainModel, "trainModel");
        OrtRuntime rt = OrtRuntime.get();
        String what = "in-memory training session (" + trainModel.length + "-byte training model)";
        try (NativeSessionOptions so = NativeSessionOptions.create(rt, options, what);
             BytePointer train = new BytePointer(trainModel);
             BytePointer eval = evalModel == null ? null : new BytePointer(evalModel);
             BytePointer optim = optimizerModel == null ? null : new BytePointer(optimizerModel)) {
            OrtTrainingSession s = new OrtTrainingSession();
            OrtStatus status = rt.trainingApi().CreateTrainingSessionFromBuffer(rt.env(), so.handle(),
                    checkpoint.requireOpen(), train, trainModel.length, eval, evalModel == null ? 0 : evalModel.length,
                    optim, optimizerModel == null ? 0 : optimizerModel.length, s);
            return created(rt, checkpoint, options, what, status, s, evalModel != null);
        }
    }

    private static TrainingSession created(OrtRuntime rt, CheckpointState checkpoint, SessionOptions options,
                                           String what, OrtStatus status, OrtTrainingSession s, boolean hasEval) {
        if (status != null && !status.isNull()) {
            OrtException e = Statuses.toException(rt.api(), status, "creating " + what);
            throw NativeSessionOptions.classifyCreateFailure(options, what, e);
        }
        return new TrainingSession(rt, checkpoint, s, what, hasEval);
    }

    /** Seeds ONNX Runtime's random generators (dropout and the like) for reproducible training. */
    public static void setSeed(long seed) {
        OrtRuntime rt = OrtRuntime.get();
        Statuses.check(rt.api(), rt.trainingApi().SetSeed(seed), "setting the training seed to " + seed);
    }

    // ---- description -------------------------------------------------------------------------------------------

    public String label() {
        return label;
    }

    /** User inputs of the training model, in the order {@link #trainStep} feeds them. */
    public List<String> trainInputNames() {
        return trainInputs;
    }

    /** Outputs {@link #trainStep} returns (gradient outputs excluded), loss first when the model puts it first. */
    public List<String> trainOutputNames() {
        return trainOutputs;
    }

    public List<String> evalInputNames() {
        return evalInputs;
    }

    public List<String> evalOutputNames() {
        return evalOutputs;
    }

    public CheckpointState checkpoint() {
        return checkpoint;
    }

    // ---- steps -------------------------------------------------------------------------------------------------

    /** Runs forward and backward on a batch and accumulates the gradients; returns the training outputs. */
    public Map<String, Tensor> trainStep(Map<String, Tensor> inputs) {
        return step(inputs, true);
    }

    /** Runs the eval model on a batch with the current parameters; returns the eval outputs. */
    public Map<String, Tensor> evalStep(Map<String, Tensor> inputs) {
        if (evalOutputs.isEmpty() && evalInputs.isEmpty()) {
            throw new IllegalStateException(label + " was created without an eval model");
        }
        return step(inputs, false);
    }

    /** {@link #trainStep} on native tensors; the outputs are ONNX Runtime's, to be closed by the caller. */
    public NativeOutputs trainStepNative(Map<String, NativeTensor> inputs) {
        return stepNative(inputs, true);
    }

    private Map<String, Tensor> step(Map<String, Tensor> inputs, boolean train) {
        List<String> names = train ? trainInputs : evalInputs;
        checkInputNames(inputs.keySet(), names, train);
        LinkedHashMap<String, NativeTensor> natives = new LinkedHashMap<>();
        try {
            for (String n : names) {
                natives.put(n, NativeTensor.fromTensor(inputs.get(n)));
            }
            try (NativeOutputs out = stepNative(natives, train)) {
                Map<String, Tensor> result = new LinkedHashMap<>();
                for (Map.Entry<String, NativeTensor> e : out.asMap().entrySet()) {
                    result.put(e.getKey(), e.getValue().toTensor(e.getKey()));
                }
                return result;
            }
        } finally {
            for (NativeTensor t : natives.values()) {
                t.close();
            }
        }
    }

    private synchronized NativeOutputs stepNative(Map<String, NativeTensor> inputs, boolean train) {
        List<String> inNames = train ? trainInputs : evalInputs;
        List<String> outNames = train ? trainOutputs : evalOutputs;
        checkInputNames(inputs.keySet(), inNames, train);
        OrtTrainingSession s = requireOpen();
        OrtTrainingApi t = rt.trainingApi();
        OrtApi api = rt.api();
        String what = (train ? "training step of " : "eval step of ") + label;
        OrtValue[] produced = new OrtValue[outNames.size()];
        try (PointerPointer<OrtValue> in = new PointerPointer<>(Math.max(1, inNames.size()));
             PointerPointer<OrtValue> out = new PointerPointer<>(Math.max(1, outNames.size()))) {
            for (int i = 0; i < inNames.size(); i++) {
                in.put(i, inputs.get(inNames.get(i)).handle());
            }
            for (int i = 0; i < outNames.size(); i++) {
                out.put(i, null);
            }
            OrtStatus status = train ? t.TrainStep(s, null, inNames.size(), in, outNames.size(), out)
                    : t.EvalStep(s, null, inNames.size(), in, outNames.size(), out);
            Reference.reachabilityFence(inputs);
            for (int i = 0; i < produced.length; i++) {
                OrtValue v = out.get(OrtValue.class, i);
                produced[i] = v == null || v.isNull() ? null : v;
            }
            if (status != null && !status.isNull()) {
                releaseAll(produced);
                throw Statuses.toException(api, status, what + " (inputs " + inNames + ")");
            }
        }
        LinkedHashMap<String, NativeTensor> result = new LinkedHashMap<>();
        try {
            for (int i = 0; i < produced.length; i++) {
                OrtValue v = produced[i];
                produced[i] = null;
                result.put(outNames.get(i), NativeTensor.adopt(rt, v, "output '" + outNames.get(i) + "' of " + what));
            }
            return new NativeOutputs(result);
        } catch (RuntimeException e) {
            releaseAll(produced);
            new NativeOutputs(result).close();
            throw e;
        }
    }

    private void checkInputNames(java.util.Set<String> given, List<String> expected, boolean train) {
        if (!given.equals(new java.util.HashSet<>(expected))) {
            throw new IllegalArgumentException((train ? "training" : "eval") + " step of " + label + " takes inputs "
                    + expected + ", got " + given);
        }
    }

    private void releaseAll(OrtValue[] values) {
        for (OrtValue v : values) {
            if (v != null) {
                rt.api().ReleaseValue(v);
            }
        }
    }

    /** Zeroes the accumulated gradients before the next training step (lazily, inside that step). */
    public synchronized void lazyResetGrad() {
        Statuses.check(rt.api(), rt.trainingApi().LazyResetGrad(requireOpen()),
                () -> "resetting gradients of " + label);
    }

    /** Applies the accumulated gradients to the parameters with the optimizer model. */
    public synchronized void optimizerStep() {
        Statuses.check(rt.api(), rt.trainingApi().OptimizerStep(requireOpen(), null),
                () -> "optimizer step of " + label);
    }

    public synchronized void setLearningRate(float lr) {
        Statuses.check(rt.api(), rt.trainingApi().SetLearningRate(requireOpen(), lr),
                () -> "setting the learning rate of " + label + " to " + lr);
    }

    public synchronized float learningRate() {
        float[] lr = new float[1];
        Statuses.check(rt.api(), rt.trainingApi().GetLearningRate(requireOpen(), lr),
                () -> "reading the learning rate of " + label);
        return lr[0];
    }

    /**
     * Linear warm-up then linear decay to 0, driven by the optimizer step count; advance with {@link #schedulerStep}.
     */
    public synchronized void registerLinearLRScheduler(long warmupSteps, long totalSteps, float initialLr) {
        Statuses.check(rt.api(), rt.trainingApi().RegisterLinearLRScheduler(requireOpen(), warmupSteps, totalSteps,
                initialLr), () -> "registering a linear learning-rate schedule on " + label);
    }

    public synchronized void schedulerStep() {
        Statuses.check(rt.api(), rt.trainingApi().SchedulerStep(requireOpen()), () -> "scheduler step of " + label);
    }

    // ---- parameters and export ---------------------------------------------------------------------------------

    /** Number of parameter elements (all, or trainable only). */
    public synchronized long parameterCount(boolean trainableOnly) {
        try (SizeTPointer n = new SizeTPointer(1)) {
            Statuses.check(rt.api(), rt.trainingApi().GetParametersSize(requireOpen(), n, trainableOnly),
                    () -> "counting the parameters of " + label);
            return n.get();
        }
    }

    /**
     * All parameters concatenated into one flat float tensor, in the training model's order. ONNX Runtime supports
     * float parameters only here; use {@code trainableOnly} when frozen parameters are of other types.
     */
    public synchronized Tensor copyParametersToBuffer(boolean trainableOnly) {
        long n = parameterCount(trainableOnly);
        try (NativeTensor buffer = NativeTensor.allocate(DataType.FLOAT, new long[] {n})) {
            Statuses.check(rt.api(), rt.trainingApi().CopyParametersToBuffer(requireOpen(), buffer.handle(),
                    trainableOnly), () -> "copying the parameters of " + label + " to a buffer");
            return buffer.toTensor("parameters");
        }
    }

    /** Overwrites the parameters from a flat float tensor laid out as {@link #copyParametersToBuffer} makes it. */
    public synchronized void copyBufferToParameters(Tensor flat, boolean trainableOnly) {
        try (NativeTensor buffer = NativeTensor.fromTensor(flat)) {
            Statuses.check(rt.api(), rt.trainingApi().CopyBufferToParameters(requireOpen(), buffer.handle(),
                    trainableOnly), () -> "copying a " + buffer + " buffer into the parameters of " + label);
        }
    }

    /**
     * Writes an inference model: the eval model (re-read from its file, so the session must have been created from
     * files) with the current parameters baked in as initializers, keeping {@code graphOutputNames} as outputs. The
     * file is written under a temporary name and renamed into place.
     */
    public synchronized void exportModelForInferencing(Path inferenceModel, List<String> graphOutputNames) {
        OrtTrainingSession s = requireOpen();
        Path target = inferenceModel.toAbsolutePath();
        try {
            AtomicFiles.writeVia(target, temp -> export(s, temp, inferenceModel, graphOutputNames));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private void export(OrtTrainingSession s, Path temp, Path inferenceModel, List<String> graphOutputNames) {
        List<BytePointer> names = new ArrayList<>();
        try (BytePointer path = NativeSessionOptions.path(temp);
             PointerPointer<BytePointer> cNames = new PointerPointer<>(Math.max(1, graphOutputNames.size()))) {
            for (int i = 0; i < graphOutputNames.size(); i++) {
                BytePointer n = new BytePointer(graphOutputNames.get(i), StandardCharsets.UTF_8);
                names.add(n);
                cNames.put(i, n);
            }
            Statuses.check(rt.api(), rt.trainingApi().ExportModelForInferencing(s, path, graphOutputNames.size(),
                    cNames), () -> "exporting " + label + " for inference to " + inferenceModel + " (outputs "
                    + graphOutputNames + ")");
        } finally {
            for (BytePointer n : names) {
                n.close();
            }
        }
    }

    // ---- lifetime ----------------------------------------------------------------------------------------------

    private OrtTrainingSession requireOpen() {
        if (session == null) {
            throw new IllegalStateException(label + " is closed");
        }
        return session;
    }

    public synchronized boolean isClosed() {
        return session == null;
    }

    /** Releases the native session (and lets a closed checkpoint go). Safe to call twice. */
    @Override
    public synchronized void close() {
        if (session != null) {
            rt.trainingApi().ReleaseTrainingSession(session);
            session = null;
            checkpoint.detach();
        }
    }

    @Override
    public String toString() {
        return "TrainingSession[" + label + ", train inputs " + trainInputs + ", outputs " + trainOutputs + "]";
    }
}
