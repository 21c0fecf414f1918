// Opens a ready-to-use NotebookStore: picks the driver, connects and runs the migrations.
import { openDatabase, type StoreLocation } from "./database.js";
import { migrateToLatest } from "./migrations.js";
import { KyselyNotebookStore } from "./notebook-store.js";
import type { NotebookStore } from "./types.js";

export async function openStore(location: StoreLocation): Promise<NotebookStore> {
  const { db, driver } = openDatabase(location);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyNotebookStore(db, driver);
}
