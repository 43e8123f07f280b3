import { accountsContract } from "./accounts-contract.ts";

accountsContract("postgres");
