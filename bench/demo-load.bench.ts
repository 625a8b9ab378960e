/**
 * Demo school generation and loading into a fresh embedded database (PGlite in memory):
 * the cost of a first `npm start` and of `hocba demo --students N` for larger benchmarks.
 */
import { openDatabase } from '../src/db/client.ts';
import { loadDemoSchool } from '../src/services/demo/load-demo-school.ts';
import { generateDemoSchool } from '../src/services/demo/generate-demo-school.ts';
import { fullScale, type Figure } from './results.ts';

export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const students of fullScale() ? [1512, 10_000] : [1512]) {
    const g0 = performance.now();
    generateDemoSchool({ students });
    const genMs = performance.now() - g0;

    const database = await openDatabase({ memory: true });
    try {
      const t0 = performance.now();
      await loadDemoSchool({ db: database.db, students });
      const loadMs = performance.now() - t0;
      console.log(
        `${students.toLocaleString('en')} students: generate ${genMs.toFixed(0)} ms, generate + load ${loadMs.toFixed(0)} ms ` +
          `(${Math.round(students / (loadMs / 1000)).toLocaleString('en')} students/s), heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`,
      );
      const scale = `${students.toLocaleString('en')} students, PGlite in memory`;
      figures.push({ name: 'generate + load demo school', value: Math.round(loadMs), unit: 'ms', scale }, { name: 'demo load throughput', value: Math.round(students / (loadMs / 1000)), unit: 'students/s', scale });
    } finally {
      await database.close();
    }
  }
  return figures;
}
