import { accountsContract } from "./accounts-contract.ts";

accountsContract("sqlite");
