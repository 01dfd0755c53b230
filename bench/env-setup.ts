// Imported first by every benchmark: benchmarks use their own test-database namespace so they never disturb a
// test run on the same machine (the suite rebuilds its template database at start).
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/kinerja_bench_test';
