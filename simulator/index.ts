export {
	BilibiliSimulator,
	type Fault,
	type FaultType,
	type LoggedRequest,
	type SimulatorOptions,
} from './server';
export { DEFAULT_SIM_CREDENTIALS, type SimCredentials, type SimRemark } from './state';
