import { storeContract } from "./contract.ts";
import { jobsContract } from "./contract-jobs.ts";

storeContract("sqlite");
jobsContract("sqlite");
