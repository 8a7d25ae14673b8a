import './tracing';
import 'reflect-metadata';
import { runService } from '@cxauth/platform';
import { authApiConfigSchema } from './auth-api.config';
import { authApiService } from './auth-api.service';

void runService('auth-api', authApiConfigSchema, authApiService);
