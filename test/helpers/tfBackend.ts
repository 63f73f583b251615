// Registers tfjs's JavaScript backend and gradients in every test process, as the library's entry point does for its users.
import '../../src/tfjsKernels.js';
