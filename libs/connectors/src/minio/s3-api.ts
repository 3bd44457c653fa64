import type { Readable } from 'node:stream';
import type { BucketItem, BucketItemFromList, BucketStream, LifecycleConfig, ObjectLockInfo, Tag } from 'minio';

/** The minio-js client calls the catalog makes (a minio `Client` satisfies it). */
export interface S3Api {
  listBuckets(): Promise<BucketItemFromList[]>;
  listObjectsV2(
    bucketName: string,
    prefix?: string,
    recursive?: boolean,
    startAfter?: string,
  ): BucketStream<BucketItem>;
  getPartialObject(bucketName: string, objectName: string, offset: number, length?: number): Promise<Readable>;
  getBucketVersioning(bucketName: string): Promise<unknown>;
  getBucketLifecycle(bucketName: string): Promise<LifecycleConfig | null>;
  getObjectLockConfig(bucketName: string): Promise<ObjectLockInfo>;
  getBucketPolicy(bucketName: string): Promise<string>;
  getBucketTagging(bucketName: string): Promise<Tag[]>;
}
