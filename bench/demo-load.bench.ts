/**
 * Demo school generation and loading into a fresh embedded database (PGlite in memory):
 * the cost of a first `npm start` and of `hocba demo --students N` for larger benchmarks.
 */
import { openDatabase } from '../src/db/client.ts';
import { loadDemoSchool } from '../src/services/demo/load-demo-school.ts';
import { generateDemoSchool } from '../src/services/demo/generate-demo-school.ts';

export async function run(): Promise<void> {
  for (const students of [1512, 10_000]) {
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
    } finally {
      await database.close();
    }
  }
}
