package io.ortune.models.generate;

/** Why a row stopped generating. */
public enum StopReason {
    /** It produced a stop id (an end-of-sequence id or one the user gave); that token is the last generated. */
    STOP_TOKEN,
    /** It produced {@link GenerationConfig#maxNewTokens()} tokens. */
    MAX_NEW_TOKENS
}
