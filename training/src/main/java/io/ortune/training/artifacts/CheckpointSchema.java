package io.ortune.training.artifacts;

import java.nio.file.Path;

/**
 * Field numbers of ONNX Runtime's checkpoint flatbuffer ({@code ort_training_checkpoint.fbs}, using the
 * {@code Tensor} table of {@code ort.fbs}). A field's number is its position in the schema's table, counting from 0.
 */
final class CheckpointSchema {

    static final String FILE_IDENTIFIER = "ODTC";
    /** The only checkpoint version ONNX Runtime accepts (2 added {@code is_nominal_state}). */
    static final int VERSION = 2;
    /** Suffix of the side file that holds tensor bytes too big for the flatbuffer. */
    static final String EXTERNAL_DATA_SUFFIX = ".data";

    // table Checkpoint
    static final int CHECKPOINT_VERSION = 0;
    static final int CHECKPOINT_MODULE_STATE = 1;
    static final int CHECKPOINT_OPTIMIZER_GROUPS = 2;
    static final int CHECKPOINT_PROPERTY_BAG = 3;
    static final int CHECKPOINT_FIELDS = 4;

    // table ModuleState
    static final int MODULE_REQUIRES_GRAD_PARAMS = 0;
    static final int MODULE_FROZEN_PARAMS = 1;
    static final int MODULE_IS_NOMINAL_STATE = 2;
    static final int MODULE_HAS_EXTERNAL_DATA = 3;
    static final int MODULE_FIELDS = 4;

    // table Tensor (ort.fbs)
    static final int TENSOR_NAME = 0;
    static final int TENSOR_DOC_STRING = 1;
    static final int TENSOR_DIMS = 2;
    static final int TENSOR_DATA_TYPE = 3;
    static final int TENSOR_RAW_DATA = 4;
    static final int TENSOR_STRING_DATA = 5;
    static final int TENSOR_EXTERNAL_DATA_OFFSET = 6;
    static final int TENSOR_FIELDS = 7;
    /** Default of {@code external_data_offset}: the bytes are inline in {@code raw_data}. */
    static final long NO_EXTERNAL_DATA = -1L;

    // table ParameterOptimizerState
    static final int PARAM_STATE_NAME = 0;
    static final int PARAM_STATE_MOMENTUMS = 1;
    static final int PARAM_STATE_FIELDS = 2;

    // table OptimizerGroup
    static final int GROUP_NAME = 0;
    static final int GROUP_STEP = 1;
    static final int GROUP_INITIAL_LR = 2;
    static final int GROUP_OPTIMIZER_STATES = 3;
    static final int GROUP_FIELDS = 4;

    // table PropertyBag
    static final int BAG_INTS = 0;
    static final int BAG_FLOATS = 1;
    static final int BAG_STRINGS = 2;
    static final int BAG_FIELDS = 3;

    // tables IntProperty, FloatProperty, StringProperty
    static final int PROPERTY_NAME = 0;
    static final int PROPERTY_VALUE = 1;
    static final int PROPERTY_FIELDS = 2;

    private CheckpointSchema() {
    }

    /** {@code <checkpoint>.data}, next to the checkpoint, where ONNX Runtime looks for external tensor bytes. */
    static Path externalDataPath(Path checkpoint) {
        Path name = checkpoint.getFileName();
        return checkpoint.resolveSibling(name + EXTERNAL_DATA_SUFFIX);
    }
}
