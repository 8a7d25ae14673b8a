import './tracing';
import 'reflect-metadata';
import { runService } from '@cxauth/platform';
import { environmentApiConfigSchema } from './environment-api.config';
import { environmentApiService } from './environment-api.service';

void runService('environment-api', environmentApiConfigSchema, environmentApiService);
