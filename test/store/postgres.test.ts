import { storeContract } from "./contract.ts";
import { jobsContract } from "./contract-jobs.ts";
import { searchContract } from "./contract-search.ts";

storeContract("postgres");
jobsContract("postgres");
searchContract("postgres");
