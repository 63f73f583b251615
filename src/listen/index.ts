// The public pieces of the listen room: STFT and its inverse, the mel-to-linear mask, WAV files, listening to evidence.
export { stft, istft, applyMask, type Spectrogram } from './stft.js';
export { STFT_BINS } from './frameTransforms.js';
export { HANN_WINDOW, OVERLAP_FLOOR } from './window.js';
export { melToLinearMask, MEL_MASK_DEFAULTS, type MelMaskOptions } from './melMask.js';
export { listenToAttribution, type ListenOptions, type ListenResult } from './listenToAttribution.js';
export { encodeWav, decodeWav } from './wav.js';
