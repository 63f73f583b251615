// The distilled student model: loader, class, forward pass and weights format.
export { defaultStudentPath, loadStudent, STUDENT_NAME, StudentModel } from './studentModel.js';
export { architectureProblem, framesPerLayer, layerShapes, receptiveFrames, StudentTensors, studentLogits, type StudentArchitecture, type StudentLayer, type StudentWeights } from './network.js';
export { decodeStudent, encodeStudent, STUDENT_FORMAT, type StudentManifest, type StudentTensorEntry } from './weightsFile.js';
