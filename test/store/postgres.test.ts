import { storeContract } from "./contract.ts";
import { jobsContract } from "./contract-jobs.ts";

storeContract("postgres");
jobsContract("postgres");
