// The distilled student model: loader, class, forward pass and weights format.
export { defaultStudentPath, loadStudent, STUDENT_NAME, StudentModel } from './studentModel.js';
export { layerShapes, StudentTensors, studentLogits, type StudentArchitecture, type StudentWeights } from './network.js';
export { decodeStudent, encodeStudent, STUDENT_FORMAT, type StudentManifest, type StudentTensorEntry } from './weightsFile.js';
