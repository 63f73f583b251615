// Reads YAMNet's class names from the shipped `index,mid,display_name` CSV.
import { readFile } from 'node:fs/promises';
import { ModelError } from '../errors/index.js';
import { packagePath } from '../packageFiles.js';

/** Display names in class-index order; by default from models/yamnet_class_map.csv inside the package. */
export async function loadClassNames(csvPath: string = packagePath('models', 'yamnet_class_map.csv')): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch (error) {
    throw new ModelError(`Cannot read the class map ${csvPath}: reinstall blurig-audio`, csvPath, { cause: error });
  }
  const rows = text.split(/\r?\n/).filter((line) => line.trim() !== '').map(parseCsvLine);
  const names: string[] = [];
  for (const [line, fields] of rows.slice(1).entries()) {
    if (fields.length !== 3 || Number(fields[0]) !== line) {
      throw new ModelError(`${csvPath} line ${line + 2} is not "${line},<mid>,<name>"; reinstall blurig-audio`, csvPath);
    }
    names.push(fields[2]);
  }
  return names;
}

/** Splits one CSV line, honouring double quotes and "" escapes (names such as "Child speech, kid speaking"). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') fields.push(field), (field = '');
    else field += c;
  }
  fields.push(field);
  return fields;
}
